# Hearken public portal — 简体中文
portal-nav-label = 公众服务导航
