"""What the pipeline tells the layers above it.

Sent inside the transaction that changed the object, so that a receiver that keeps a record
in step with the state (the flow's open task) commits or rolls back with it. A receiver that
talks to the outside world (e-mail, webhooks) queues a background task in the same
transaction (``casework.kernel.background.enqueue``), which runs once the act commits.

* ``opened(sender=procedure, obj, actor)`` — an object of the procedure was registered;
* ``transitioned(sender=procedure, obj, actor, step, from_state)`` — a declared step was
  taken (``step.changes_state`` tells a state change from a recording).
"""

from django.dispatch import Signal

opened = Signal()
transitioned = Signal()
