# Login throttle, cross-site request refusal and control characters (sec-auth)
sec-auth-login-throttled = Too many failed logins from this address; try again in { $minutes } minute(s).
status-429 = Too many requests
err-too-many-requests = Too many attempts; try again later.
err-csrf-refused = The request failed the cross-site check; reload the page and try again.
