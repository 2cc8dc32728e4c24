"""The core: RC repository → site model, with no MkDocs import."""
