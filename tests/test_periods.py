"""Stated periods in every wording, publication dates, event dates, windows."""

from datetime import date

import pytest

from transforms.periods import (
    event_dates,
    find_period_in,
    find_published,
    find_stated_period,
    parse_date,
    share_inside,
    window_from_dates,
)

D = date

INTROS = [
    # (intro sentence, start, end)
    ("This is an update on developments related to the rights to freedoms of expression, "
     "association and peaceful assembly in Kazakhstan from the beginning of September to the "
     "beginning of December 2022, prepared by A and B as part of their cooperation with the "
     "CIVICUS Monitor.", D(2022, 9, 1), D(2022, 12, 31)),
    ("This is an update on the protection of the freedoms of expression, association and "
     "assembly in Tajikistan from May 2019 to August 2019. A and B have prepared it as part of "
     "their work.", D(2019, 5, 1), D(2019, 8, 31)),
    ("This update covers developments affecting civic space in Uzbekistan from June to "
     "August 2022 and was prepared by A.", D(2022, 6, 1), D(2022, 8, 31)),
    ("This update covers events from 30th April to 15th August 2018 and was prepared by A.",
     D(2018, 4, 30), D(2018, 8, 15)),
    ("This Monitor update covers developments relating to the freedoms of association, "
     "peaceful assembly and expression in Uzbekistan from December 2020 to March 2021.",
     D(2020, 12, 1), D(2021, 3, 31)),
    ("This update covers developments relating to the freedoms in Kyrgyzstan from December "
     "2020 to March 2021.", D(2020, 12, 1), D(2021, 3, 31)),
    ("This update, prepared for the CIVICUS Monitor by A, provides an overview of key "
     "developments affecting civic freedoms in Kazakhstan from 1st November 2021 to 30th "
     "September 2022.", D(2021, 11, 1), D(2022, 9, 30)),
    ("This report, which covers developments in Turkmenistan for the period from July 2021 to "
     "July 2022, was prepared by A.", D(2021, 7, 1), D(2022, 7, 31)),
    ("This report surveys developments impacting civic freedoms in Uzbekistan from January "
     "2023 to April 2024.", D(2023, 1, 1), D(2024, 4, 30)),
    ("This special update covers developments in Turkmenistan during 2021.",
     D(2021, 1, 1), D(2021, 12, 31)),
    ("This update covers developments from November to February 2022.",
     D(2021, 11, 1), D(2022, 2, 28)),
    ("This update covers the period 1 October 2024 to 31 January 2025.",
     D(2024, 10, 1), D(2025, 1, 31)),
    ("This update covers developments from mid-October to the end of December 2021.",
     D(2021, 10, 15), D(2021, 12, 31)),
    ("This update covers developments between 1 March and 15 May 2020 in Georgia.",
     D(2020, 3, 1), D(2020, 5, 15)),
    ("This update covers developments in Azerbaijan from 1 March 2020 until 30 June 2020.",
     D(2020, 3, 1), D(2020, 6, 30)),
    ("This update covers developments in Hungary from September–November 2019.",
     D(2019, 9, 1), D(2019, 11, 30)),
    ("This update covers the first half of 2020 in Belarus.", D(2020, 1, 1), D(2020, 6, 30)),
]


@pytest.mark.parametrize(("intro", "start", "end"), INTROS)
def test_intro_wordings(intro: str, start: date, end: date) -> None:
    p = find_stated_period("Some title\n\n" + intro + "\n\nThe body talks about 3 May 2015.")
    assert p is not None
    assert (p.start, p.end) == (start, end)
    assert p.where == "intro"
    assert intro.startswith(p.quote)


@pytest.mark.parametrize(
    ("title", "start", "end"),
    [
        ("Three freedoms under the magnifying glass: 1-15 August 2019", D(2019, 8, 1),
         D(2019, 8, 15)),
        ("Three freedoms under the magnifying glass: 16–31 March 2020", D(2020, 3, 16),
         D(2020, 3, 31)),
        ("Three freedoms under the magnifying glass: May 7 - 20, 2021", D(2021, 5, 7),
         D(2021, 5, 20)),
        ("Three freedoms under the magnifying glass: 31 December, 2021 - 13 January, 2022",
         D(2021, 12, 31), D(2022, 1, 13)),
        ("Three freedoms under the magnifying glass: May 7 - May 20, 2021", D(2021, 5, 7),
         D(2021, 5, 20)),
    ],
)
def test_period_in_title(title: str, start: date, end: date) -> None:
    p = find_stated_period("A body without any stated period.", title)
    assert p is not None and (p.start, p.end) == (start, end) and p.where == "title"


def test_no_period_in_narrative() -> None:
    text = (
        "Journalists under pressure\n\nOn 3 May 2021, police detained a journalist. From "
        "January to March 2020 he had been under surveillance.\n"
    )
    assert find_stated_period(text, "Journalists under pressure") is None
    # a previous update's period is not this one's
    assert find_stated_period("As the previous update covering January to March 2020 said.") is None


def test_bad_ranges_are_refused() -> None:
    assert find_period_in("from 31 February to 3 March") is None  # no year, impossible day
    assert find_period_in("from June 2025 to March 2020") is None  # backwards
    assert find_period_in("nothing here") is None


def test_parse_date_forms() -> None:
    assert parse_date("28.11.2021") == D(2021, 11, 28)
    assert parse_date("28th November 2021") == D(2021, 11, 28)
    assert parse_date("November 28, 2021") == D(2021, 11, 28)
    assert parse_date("2021-11-28T10:00") == D(2021, 11, 28)
    assert parse_date("31.02.2021") is None
    assert parse_date("no date") is None


@pytest.mark.parametrize(
    ("page", "published"),
    [
        ("GLOBAL FINDINGS\nDATE POSTED : 14.03.2025\nTitle", D(2025, 3, 14)),
        ("Title\nPublished by Jane Roe on 3 April 2023\n\nBody.", D(2023, 4, 3)),
        ("Home > News > Title\n12.02.2025\n\nBody text.", D(2025, 2, 12)),
        ("Title\n\nBelgrade, 20 August 2019 - The review says things.", D(2019, 8, 20)),
        ("Title\nPosted on May 4, 2021\n\nBody.", D(2021, 5, 4)),
        # not publication dates: a site clock, a country page's update time, the narrative
        ("Monday, 26 November 2026 14:32\nTitle\n\nBody.", None),
        ("Live rating: REPRESSED\nLast updated on 12.03.2024 at 10:22\nBody.", None),
        ("Title\n\nThe report was published on 3 May 2021 by a group of NGOs working on it "
         "together for a long time, and many others joined them in the follow-up campaign "
         "that lasted for several months and covered a great many towns and villages.", None),
    ],
)
def test_published(page: str, published: date | None) -> None:
    assert find_published(page) == published


def test_event_dates_and_windows() -> None:
    text = "On 28th November 2021, elections were held. In October 2020 protests broke out. " \
           "On 8 December 2021 a law passed."
    ds = event_dates(text)
    assert ds == [D(2021, 11, 28), D(2020, 10, 15), D(2021, 12, 8)]
    assert share_inside(ds, D(2022, 9, 1), D(2022, 12, 31)) == 0
    assert share_inside(ds, D(2021, 9, 1), D(2021, 12, 31)) == pytest.approx(2 / 3)
    assert window_from_dates(ds) == (D(2021, 11, 1), D(2021, 12, 31))  # the recent cluster
    assert window_from_dates([]) is None


def test_event_ranges_in_titles_are_not_periods() -> None:
    assert find_stated_period("", "Kazakhstan: protests of 4-6 January 2022 crushed") is None
    p = find_stated_period("", "Kazakhstan: update on civic freedoms (October 2023 - January 2024)")
    assert p is not None and (p.start, p.end) == (D(2023, 10, 1), D(2024, 1, 31))


@pytest.mark.parametrize(
    ("intro", "start", "end"),
    [
        ("This review covers 01.08.2019 - 15.08.2019.", D(2019, 8, 1), D(2019, 8, 15)),
        ("This update covers the third quarter of 2021.", D(2021, 7, 1), D(2021, 9, 30)),
        ("This update covers the period from the 1st to the 15th of August 2019.",
         D(2019, 8, 1), D(2019, 8, 15)),
        ("This update covers developments from the end of January to the beginning of May "
         "2020.", D(2020, 1, 20), D(2020, 5, 31)),
    ],
)
def test_more_wordings(intro: str, start: date, end: date) -> None:
    p = find_stated_period(intro)
    assert p is not None and (p.start, p.end) == (start, end)


def test_period_note_at_the_end_of_a_long_page() -> None:
    body = "On 3 May 2021 police detained an activist in the capital city. " * 150
    text = body + "\n\nThis update covers developments from March to May 2021, prepared by A."
    p = find_stated_period(text)
    assert p is not None and (p.start, p.end) == (D(2021, 3, 1), D(2021, 5, 31))


def test_intro_wrapped_over_several_lines() -> None:
    text = ("Somewhere: a title\n\nThis is an update on developments related to the rights to "
            "freedoms of expression,\nassociation and peaceful assembly in Kyrgyzstan from 16 "
            "November 2023 until\n15 February 2024, prepared by a partner as part of their\n"
            "cooperation with the CIVICUS Monitor.\n\nOn 20 November 2023, police detained a "
            "journalist.\n")
    got = find_stated_period(text)
    assert got is not None and (got.start, got.end) == (D(2023, 11, 16), D(2024, 2, 15))


@pytest.mark.parametrize("sentence", [
    "Following our previous update, which covered January to March 2023, this update covers "
    "developments in Uzbekistan from April to June 2023.",
    "This update covers developments in Uzbekistan from April to June 2023; the previous "
    "update covered January to March 2023.",
])
def test_the_update_own_period_beats_the_previous_one(sentence: str) -> None:
    got = find_stated_period(sentence)
    assert got is not None and (got.start, got.end) == (D(2023, 4, 1), D(2023, 6, 30))


def test_site_clock_and_last_updated_are_not_publication_dates() -> None:
    assert find_published("Mon, 26 Nov 2024 10:42\nToday: 26.11.2024 15:03\nA title\n\n"
                          "Last updated on 03.02.2025 at 12:30\nSome words.") is None
    assert find_published("Tuesday, November 26, 2024\nA title: words here\nBy IPHR\n"
                          "March 3, 2022\n\nText.", title="A title: words here") == D(2022, 3, 3)


def test_meta_line_under_the_title_gives_the_date() -> None:
    title = "Kazakhstan: Activists fined"
    for meta in ("By IPHR January 7, 2022 0 Comments", "January 7, 2022 IPHR 0 Comments",
                 "07.01.2022, 15:30", "Published by Eurasia Review, January 7, 2022"):
        assert find_published(f"26.11.2024 10:42\n{title}\n{meta}\n\nText.", title=title) == D(
            2022, 1, 7), meta
    # a sentence is not a meta line, a photo credit neither
    assert find_published(f"{title}\nBy 5 May 2022, 300 people had been detained.\n\nText.",
                          title=title) is None
    assert find_published(f"{title}\nPhoto: Minsk, 5 March 2022 | someone\n\nText.",
                          title=title) is None
