"""The workspace's cross-procedure tools (docs/search.md, docs/dashboard.md,
docs/calendar-import.md): one search box over cases, complaints and deadlines, the dashboard of
the mayor, the secretariat and the supervision bureau, and the import of next year's holiday
notice. They read through each procedure's rules.py and change the calendar only through
``casework.workcalendar.services``."""
