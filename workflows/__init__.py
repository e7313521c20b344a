"""The flows: who does which step next. A viewflow flow for each declared procedure (the
inbox, the queue, the archive, the task screens), kept in step with the procedures through
the kernel's signals."""
