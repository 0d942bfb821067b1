"""Build a synthetic Ukrainian/English news archive by recombining the shared data.

Paragraph pairs come from the two-sided beads of ``align/*.gold.json`` and from runs of one
to three consecutive sentence pairs of ``segments.tsv``. An article is two to five of them;
its English version may lose one paragraph (one-sided paragraphs are common). So that, as in
a real archive, articles differ in their names and numbers and not only in the mix of
paragraphs, each article gets a reporter and a person (surnames made of syllables,
transliterated the national way) and a figure, in a sentence of its own. Dates spread over
three years; the English version appears the same day or the next. A share of the articles
on each side has no counterpart. Everything follows from the seed.

    python bench/make_synthetic_archive.py N OUT_DIR [--seed 13] [--data DIR]

writes ``OUT_DIR/uk.jsonl``, ``OUT_DIR/en.jsonl`` (records: id, lang, date, paragraphs) and
``OUT_DIR/gold.tsv`` (``uk<TAB>en``, ``-`` for no counterpart).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

from aligner.document import Article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en"

_SYLLABLES = (
    ("ко", "ko"), ("ва", "va"), ("лен", "len"), ("шев", "shev"), ("чен", "chen"),
    ("ми", "my"), ("ро", "ro"), ("да", "da"), ("ни", "ny"), ("бор", "bor"), ("гу", "hu"),
    ("за", "za"), ("лу", "lu"), ("пет", "pet"), ("сав", "sav"), ("ти", "ty"), ("хар", "khar"),
    ("дув", "duv"), ("мар", "mar"), ("жур", "zhur"), ("бі", "bi"), ("риш", "rysh"),
    ("цен", "tsen"), ("фе", "fe"), ("яр", "iar"), ("ол", "ol"), ("кри", "kry"), ("сте", "ste"),
)  # fmt: skip
_ENDINGS = (
    ("енко", "enko"), ("ук", "uk"), ("ський", "skyi"), ("ич", "ych"), ("ов", "ov"),
    ("як", "iak"), ("ишин", "yshyn"), ("ець", "ets"),
)  # fmt: skip
_FIRST = (
    ("Олена", "Olena"), ("Андрій", "Andrii"), ("Ірина", "Iryna"), ("Богдан", "Bohdan"),
    ("Марія", "Mariia"), ("Тарас", "Taras"), ("Юлія", "Yuliia"), ("Дмитро", "Dmytro"),
    ("Оксана", "Oksana"), ("Сергій", "Serhii"), ("Наталія", "Nataliia"), ("Олег", "Oleh"),
)  # fmt: skip


def _surname(rng: random.Random) -> tuple[str, str]:
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 2))] + [rng.choice(_ENDINGS)]
    uk = "".join(p[0] for p in parts)
    en = "".join(p[1] for p in parts)
    return uk.capitalize(), en.capitalize()


def load_paragraph_pairs(data: Path) -> list[tuple[str, str]]:
    """(Ukrainian, English) paragraph pairs of the shared data."""
    pairs: list[tuple[str, str]] = []
    for gold in sorted((data / "align").glob("*.gold.json")):
        doc = gold.name[: -len(".gold.json")]
        uk = (data / "align" / f"{doc}.uk.txt").read_text(encoding="utf-8").split("\n\n")
        en = (data / "align" / f"{doc}.en.txt").read_text(encoding="utf-8").split("\n\n")
        for uk_rows, en_rows in json.loads(gold.read_text(encoding="utf-8")):
            if uk_rows and en_rows:
                pairs.append(
                    (
                        " ".join(uk[i].strip() for i in uk_rows),
                        " ".join(en[j].strip() for j in en_rows),
                    )
                )
    with open(data / "segments.tsv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        by_doc: dict[str, list[tuple[str, str]]] = {}
        for row in reader:
            by_doc.setdefault(row[0], []).append((row[2].strip(), row[3].strip()))
    rng = random.Random(0)
    for segments in by_doc.values():
        k = 0
        while k < len(segments):
            size = rng.randint(1, 3)
            run = segments[k : k + size]
            pairs.append((" ".join(s[0] for s in run), " ".join(s[1] for s in run)))
            k += size
    return [(u, e) for u, e in pairs if u and e]


def make_archive(
    n: int, seed: int = 13, data: Path = DEFAULT_DATA, alone_share: float = 0.08
) -> tuple[list[Article], list[Article], list[tuple[str, str]]]:
    """``n`` Ukrainian and ``n`` English articles and the gold rows."""
    pool = load_paragraph_pairs(data)
    rng = random.Random(seed)
    start = dt.date(2022, 1, 1)
    uk_articles: list[Article] = []
    en_articles: list[Article] = []
    gold: list[tuple[str, str]] = []
    n_alone = int(n * alone_share)
    for k in range(n + n_alone):
        chosen = rng.sample(pool, rng.randint(2, 5))
        uk_paragraphs = [u for u, _ in chosen]
        en_paragraphs = [e for _, e in chosen]
        first_uk, first_en = rng.choice(_FIRST)
        person_uk, person_en = _surname(rng)
        reporter_uk, reporter_en = _surname(rng)
        figure = rng.randint(11, 99_999)
        uk_paragraphs.insert(
            0,
            f"{first_uk} {person_uk} повідомила, що йдеться про {figure} осіб. "
            f"Кореспондент {reporter_uk} стежить за подіями.",
        )
        en_paragraphs.insert(
            0,
            f"{first_en} {person_en} said that {figure} people are concerned. "
            f"Correspondent {reporter_en} follows the events.",
        )
        if len(en_paragraphs) > 3 and rng.random() < 0.2:
            del en_paragraphs[rng.randrange(1, len(en_paragraphs))]
        date = start + dt.timedelta(days=rng.randrange(3 * 365))
        uk_id = f"s{k:06d}"
        en_id = f"{rng.getrandbits(40):010x}"
        # The first n_alone articles exist in one language only, alternating sides.
        has_uk = k >= n_alone or k % 2 == 0
        has_en = k >= n_alone or k % 2 == 1
        if has_uk:
            uk_articles.append(Article(uk_id, "uk", tuple(uk_paragraphs), date=date))
        if has_en:
            en_date = date + dt.timedelta(days=rng.randint(0, 1))
            en_articles.append(Article(en_id, "en", tuple(en_paragraphs), date=en_date))
        gold.append((uk_id if has_uk else "-", en_id if has_en else "-"))
    rng.shuffle(en_articles)
    return uk_articles[:n], en_articles[:n], _trim_gold(gold, uk_articles[:n], en_articles[:n])


def _trim_gold(
    gold: list[tuple[str, str]], uk: list[Article], en: list[Article]
) -> list[tuple[str, str]]:
    """Gold rows restricted to the articles kept (a kept article whose partner was cut off
    has no counterpart)."""
    uk_ids, en_ids = {a.id for a in uk}, {a.id for a in en}
    rows = []
    for u, e in gold:
        u = u if u in uk_ids else "-"
        e = e if e in en_ids else "-"
        if (u, e) != ("-", "-"):
            rows.append((u, e))
    return rows


def write_archive(
    out: Path, uk: list[Article], en: list[Article], gold: list[tuple[str, str]]
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, articles in (("uk.jsonl", uk), ("en.jsonl", en)):
        with open(out / name, "w", encoding="utf-8") as handle:
            for a in articles:
                record = {
                    "id": a.id,
                    "lang": a.lang,
                    "date": a.date.isoformat() if a.date else None,
                    "paragraphs": list(a.paragraphs),
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with open(out / "gold.tsv", "w", encoding="utf-8") as handle:
        handle.write("uk\ten\n")
        for u, e in gold:
            handle.write(f"{u}\t{e}\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="articles per language")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no shared data at {args.data}", file=sys.stderr)
        return 2
    uk, en, gold = make_archive(args.n, args.seed, args.data)
    write_archive(args.out, uk, en, gold)
    print(f"{len(uk)} uk, {len(en)} en, {sum(1 for u, e in gold if '-' not in (u, e))} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
