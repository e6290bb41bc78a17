"""``python -m minitorch.examples <name> [options]``: run one training example."""
import argparse

from . import classify, cnn, gpt, mlp, seq2seq, spiral

EXAMPLES = {"mlp": mlp, "spiral": spiral, "cnn": cnn, "seq2seq": seq2seq, "gpt": gpt, "classify": classify}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minitorch.examples", description=__doc__)
    sub = parser.add_subparsers(dest="example", required=True, metavar="example")
    for name, module in EXAMPLES.items():
        summary = module.__doc__.strip().splitlines()[0]
        module.add_arguments(sub.add_parser(name, help=summary, description=module.__doc__,
                                            formatter_class=argparse.RawDescriptionHelpFormatter))
    args = parser.parse_args(argv)
    EXAMPLES[args.example].main(args)


if __name__ == "__main__":
    main()
