import datetime


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
