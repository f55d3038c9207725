# gunicorn settings for the Union Portal (Procfile and systemd run `gunicorn -c deploy/gunicorn.conf.py`).
bind = "127.0.0.1:8000"
workers = 4
timeout = 60
# Access log on stdout (journald). Its lines are built by a logger that masks mobiles, ID numbers and bank
# accounts in the request line, query string and referrer: search terms are personal data (issue 14 M10).
accesslog = "-"
logger_class = "union_portal.logmask.GunicornLogger"
