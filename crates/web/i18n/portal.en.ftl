# Hearken public portal — English
portal-nav-label = Public services
