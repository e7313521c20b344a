"""What a procedure's page shows of the meetings its case was on: ``{% agenda_items_of
"accountability" case.pk as items %}``, oldest first (its links lead to each item's page)."""

from django import template

from casework.meetings import services

register = template.Library()


@register.simple_tag
def agenda_items_of(procedure_name, object_id):
    return list(services.items_of(procedure_name, object_id).order_by("meeting__date", "id"))
