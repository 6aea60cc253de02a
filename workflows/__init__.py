"""The workflow engine: definitions as data, a pure state machine, working-day clocks and
durable timers. It knows nothing about children: it works on "a subject with a workflow"."""
