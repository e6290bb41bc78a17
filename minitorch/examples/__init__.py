"""Training examples, run from the command line: ``python -m minitorch.examples <name>``.

    mlp     an MLP on the shipped handwritten digits (Adam), loss/accuracy plot and checkpoint
    spiral  an MLP on the 2-D spiral, with a decision-boundary plot

Each example module has a ``train(...)`` function that returns its metrics, so
tests (and lessons) can run it at small sizes and check what it claims.
"""
