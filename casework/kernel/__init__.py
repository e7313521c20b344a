"""The procedure kernel: what every procedure shares.

* ``declaration`` — how a procedure declares each transition once (who may act, who is
  expected to act, the payload, the label, irreversible or not, the legal citation);
* ``pipeline`` — the one path that changes an object of a procedure;
* ``signals`` — what the pipeline tells the layers above (flows, notifications);
* ``entrypoints`` — how one procedure reaches another without importing it.
"""
