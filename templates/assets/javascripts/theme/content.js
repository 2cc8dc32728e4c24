/* Material's partials/javascripts/content.html as a file: the Content-Security-Policy allows no
   inline script. Kept equal to the installed Material by tests/test_csp.py. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
