"""``python -m minitorch.exercises``: every lesson exercise that has a check, and what to pass it."""
from . import all_exercises


def main():
    """Print each exercise's id, title and the answer its check takes."""
    for found in all_exercises():
        print(f"{found.id:>5}  {found.title}\n       check(\"{found.id}\", <{found.answer}>)")
    print('\nfrom minitorch.exercises import check; check("4.1", leaky_relu) prints right or wrong, and why.')


if __name__ == "__main__":
    main()
