from tests.access_matrix import LOGIN, REDIRECT, Row, expect

ROWS = [
    Row("home", expect(200)),
    Row("login", expect(REDIRECT, anonymous=200)),
    # Logging out lands on the login page, also for someone who was not logged in.
    Row("logout", expect(LOGIN, anonymous=LOGIN), method="post"),
    Row("password_reset", expect(200, anonymous=200)),
    Row("password_reset_done", expect(200, anonymous=200)),
    # A made-up token: the page says the link no longer works (and answers 200).
    Row(
        "password_reset_confirm",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
    ),
    Row("password_reset_complete", expect(200, anonymous=200)),
    Row(
        "set_language",
        expect(REDIRECT, anonymous=REDIRECT),
        method="post",
        data=lambda cast: {"language": "en", "next": "/"},
    ),
    Row("audit_trail", expect(403, coordinator=200)),
]
