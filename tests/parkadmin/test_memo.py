"""The per-request memo: a figure worked out once per request, however it is asked for, and never kept beyond."""

from parkadmin.memo import memo_scope, memoized

calls = []


@memoized
def figure(year: int, park=None, *, pending: bool = False) -> tuple:
    calls.append((year, park, pending))
    return (year, park, pending)


def test_one_call_however_the_arguments_are_given():
    calls.clear()
    with memo_scope():
        assert figure(2024) == figure(year=2024) == figure(2024, None) == figure(2024, park=None, pending=False)
        figure(2024, pending=True)
        figure(2023)
    assert calls == [(2024, None, False), (2024, None, True), (2023, None, False)]


def test_nothing_is_remembered_outside_a_scope_or_after_it():
    calls.clear()
    figure(2024)
    figure(2024)
    with memo_scope():
        figure(2024)
    with memo_scope():
        figure(2024)
    assert len(calls) == 4
