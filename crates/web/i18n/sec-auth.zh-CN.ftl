# 登录限流、跨站请求拦截与控制字符（sec-auth）
sec-auth-login-throttled = 此地址登录失败次数过多，请 { $minutes } 分钟后再试。
status-429 = 请求过于频繁
err-too-many-requests = 尝试次数过多，请稍后再试。
err-csrf-refused = 请求未通过跨站校验，请刷新页面后重试。
