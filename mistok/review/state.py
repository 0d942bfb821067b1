"""What the decisions mean for what a reviewer sees: each finding's status, each pair's open
counts and beads, and the decisions themselves taken (inside one write transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.baseline import entry_from_dict
from eval.fingerprint import normalise, subject_strings
from mistok.review import beads as bead_ops
from mistok.review.db import Decision, DecisionLog, Writer, current
from mistok.review.export import export_decisions
from mistok.review.files import check_beads
from mistok.review.run_view import SEVERITIES, RunView, inside

__all__ = ["FindingState", "Review"]

#: ``data`` keys that hold what a check suggests, not what the text says (as eval.accept).
_SUGGESTED = frozenset({"preferred", "expected", "kind", "suggestion_from"})


@dataclass(frozen=True)
class FindingState:
    """A finding of the run and what the review decided about it."""

    finding: Mapping[str, object]
    status: str  # open | dismissed | accepted
    decision: Decision | None

    @property
    def fingerprint(self) -> str:
        return str(self.finding["fingerprint"])


def spellings_of(finding: Mapping[str, object]) -> list[str]:
    """The spellings a finding is about, as written (what a reviewer may accept or reject)."""
    data = finding.get("data") or {}
    found: list[str] = []
    for key in ("spelling", "used", "rejected"):
        value = data.get(key)  # type: ignore[union-attr]
        if isinstance(value, str):
            found.append(value)
    for value in (data.get("spellings") or {}).keys():  # type: ignore[union-attr]
        found.append(str(value))
    suggestion = finding.get("suggestion")
    return [s for s in dict.fromkeys(found) if s != suggestion]


def _accepted_by(finding: Mapping[str, object], decision: Decision) -> bool:
    payload = decision.payload
    rule = payload.get("rule")
    if rule and rule not in (finding.get("rule"), finding.get("check")):
        return False
    data = {k: v for k, v in (finding.get("data") or {}).items() if k not in _SUGGESTED}  # type: ignore[union-attr]
    return normalise(str(payload["spelling"])) in subject_strings(data)


class Review:
    """A run folder and its decision log: the state shown, and the changes made."""

    def __init__(self, view: RunView, log: DecisionLog) -> None:
        self.view = view
        self.log = log

    # reading
    def finding_states(
        self, pair: str, decisions: Sequence[Decision] | None = None
    ) -> list[FindingState]:
        decisions = self.log.decisions() if decisions is None else decisions
        state = current(list(decisions))
        accepts = [d for d in state.values() if d.kind == "accept"]
        result = []
        for finding in self.view.pairs[pair].findings:
            fingerprint = str(finding["fingerprint"])
            dismissed = state.get(("dismiss", fingerprint))
            accepted = next((d for d in accepts if _accepted_by(finding, d)), None)
            if accepted is not None:
                result.append(FindingState(finding, "accepted", accepted))
            elif dismissed is not None:
                result.append(FindingState(finding, "dismissed", dismissed))
            else:
                result.append(FindingState(finding, "open", None))
        return result

    def open_counts(self, pair: str, decisions: Sequence[Decision]) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for item in self.finding_states(pair, decisions):
            if item.status == "open":
                counts[str(item.finding["severity"])] += 1
        return counts

    def beads(
        self, pair: str, decisions: Sequence[Decision] | None = None
    ) -> tuple[bead_ops.Beads, Decision | None]:
        """The current beads of ``pair`` and the decision that set them (``None``: the
        aligner's)."""
        decisions = self.log.decisions() if decisions is None else decisions
        decision = current(list(decisions)).get(("beads", pair))
        if decision is None:
            return self.view.machine_beads(pair), None
        return [(tuple(u), tuple(e)) for u, e in decision.payload["beads"]], decision

    # writing: each change is one transaction, exported before it commits
    def _finding(self, pair: str, fingerprint: str) -> Mapping[str, object]:
        for finding in self.view.pairs[pair].findings:
            if finding["fingerprint"] == fingerprint:
                return finding
        raise ValueError(f"no finding {fingerprint} in {pair}")

    def _commit(self, kind: str, subject: str, pair: str | None, payload: dict, author: str) -> int:
        with self.log.write() as writer:
            number = writer.add(kind, subject, pair, payload, author)
            export_decisions(self.view.root, writer.decisions())
        return number

    def dismiss(self, pair: str, fingerprint: str, reason: str, author: str) -> int:
        finding = self._finding(pair, fingerprint)
        if not reason.strip():
            raise ValueError("say why the finding is dismissed")
        entry = entry_from_dict(finding)
        payload = {
            "reason": reason.strip(),
            "rule": entry.rule,
            "where": entry.where,
            "message": entry.message,
        }
        return self._commit("dismiss", fingerprint, pair, payload, author)

    def accept(self, pair: str, fingerprint: str, spelling: str, reason: str, author: str) -> int:
        finding = self._finding(pair, fingerprint)
        if spelling not in spellings_of(finding):
            raise ValueError(f"{spelling!r} is not a spelling this finding is about")
        if not reason.strip():
            raise ValueError("say why the spelling is deliberate")
        payload = {"spelling": spelling, "rule": str(finding["rule"]), "reason": reason.strip()}
        return self._commit("accept", f"{spelling}|{finding['rule']}", pair, payload, author)

    def adopt(self, pair: str, fingerprint: str, spelling: str, author: str) -> int:
        finding = self._finding(pair, fingerprint)
        preferred = finding.get("suggestion")
        if not isinstance(preferred, str) or not preferred.strip():
            raise ValueError("this finding suggests no spelling to adopt")
        if spelling not in spellings_of(finding):
            raise ValueError(f"{spelling!r} is not a spelling this finding is about")
        payload = {"rejected": spelling, "preferred": preferred}
        return self._commit("adopt", spelling, pair, payload, author)

    def change_beads(self, pair: str, op: str, author: str, **where: object) -> int:
        info = self.view.pairs[pair]
        n_uk, n_en = self.view.alignment_size(pair)
        with self.log.write() as writer:
            decisions = writer.decisions()
            beads, _ = self.beads(pair, decisions)
            if op == "join":
                changed = bead_ops.join(beads, int(where["index"]))  # type: ignore[call-overload]
            elif op == "split":
                changed = bead_ops.split(beads, int(where["index"]))  # type: ignore[call-overload]
            elif op == "one_sided":
                changed = bead_ops.one_sided(beads, str(where["lang"]), int(where["paragraph"]))  # type: ignore[call-overload]
            else:
                raise ValueError(f"unknown alignment change {op!r}")
            problem = check_beads(changed, n_uk, n_en)
            if problem:
                raise ValueError(problem)
            payload = {
                "op": op,
                "uk": info.uk,
                "en": info.en,
                "uk_key": self.view.keys.get(f"uk/{info.uk}", ""),
                "en_key": self.view.keys.get(f"en/{info.en}", ""),
                "beads": [[list(u), list(e)] for u, e in changed],
            }
            number = writer.add("beads", pair, pair, payload, author)
            export_decisions(self.view.root, writer.decisions())
        return number

    def edit_draft(self, name: str, texts: list[str], reviewed: bool, author: str) -> int:
        info = self.view.drafts[name]
        with self.log.write() as writer:
            decisions = writer.decisions()
            original = next(
                (
                    d.payload["original"]
                    for d in decisions
                    if d.kind == "draft" and d.subject == info.file
                ),
                None,
            )
            if original is None:
                original = inside(self.view.root, info.file).read_text(encoding="utf-8")
            payload = {
                "texts": [t.strip() for t in texts],
                "reviewed": reviewed,
                "original": original,
            }
            number = writer.add("draft", info.file, info.pair, payload, author)
            export_decisions(self.view.root, writer.decisions())
        return number

    def undo(self, decision_id: int, author: str) -> bool:
        with self.log.write() as writer:
            done = writer.undo(decision_id, author)
            export_decisions(self.view.root, writer.decisions())
        return done

    def draft_state(self, name: str, decisions: Sequence[Decision]) -> Decision | None:
        info = self.view.drafts[name]
        return current(list(decisions)).get(("draft", info.file))


def rebuild_from_files(root: Path, log: DecisionLog, view: RunView) -> int:
    """Fill an empty decision log from the exported files (after a corrupt database was set
    aside): dismissed findings, accepted and adopted spellings, manual alignments. Returns the
    number of decisions recovered."""
    from mistok.review.files import review_paths

    paths = review_paths(root)
    with log.write() as writer:
        recovered = _recover_dismissals(writer, paths.baseline, view)
        recovered += _recover_spellings(writer, paths.style)
        recovered += _recover_alignments(writer, paths.alignments)
    return recovered


def _baseline_reasons(baseline: Path) -> dict[str, str]:
    """Fingerprint -> the note of its line in the baseline file (the reason column)."""
    reasons = {}
    for line in baseline.read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) >= 4 and not line.startswith("#"):
            reasons[fields[0]] = fields[3]
    return reasons


def _recover_dismissals(writer: Writer, baseline: Path, view: RunView) -> int:
    """A ``dismiss`` decision for each finding of the exported baseline file."""
    from eval.baseline import read_baseline

    if not baseline.is_file():
        return 0
    by_fingerprint = {
        str(f["fingerprint"]): (pair.id, f) for pair in view.pairs.values() for f in pair.findings
    }
    reasons = _baseline_reasons(baseline)
    recovered = 0
    for fingerprint in sorted(read_baseline(baseline).fingerprints):
        pair, finding = by_fingerprint.get(fingerprint, (None, {}))
        note = reasons.get(fingerprint, "")
        reason = note.rsplit(": ", 1)[-1].rstrip("]") if "[dismissed by" in note else note
        payload = {
            "reason": reason or "recovered",
            "rule": str(finding.get("rule", "?")),
            "where": entry_from_dict(finding).where if finding else "",
            "message": str(finding.get("message", "")),
        }
        writer.add("dismiss", fingerprint, pair, payload, "recovered")
        recovered += 1
    return recovered


def _recover_spellings(writer: Writer, style_path: Path) -> int:
    """An ``adopt`` decision for each rejected spelling of the exported style file, and an
    ``accept`` decision for each accepted one."""
    from eval.style import load_style

    if not style_path.is_file():
        return 0
    style = load_style(style_path)
    recovered = 0
    for rejected, preferred in style.rejected.items():
        writer.add(
            "adopt",
            rejected,
            None,
            {"rejected": rejected, "preferred": preferred},
            "recovered",
        )
        recovered += 1
    for entry in style.accept:
        payload = {"spelling": entry.spelling, "rule": entry.rule, "reason": entry.reason}
        writer.add("accept", f"{entry.spelling}|{entry.rule}", None, payload, "recovered")
        recovered += 1
    return recovered


def _recover_alignments(writer: Writer, alignments: Path) -> int:
    """A ``beads`` decision for each manual alignment of the exported overrides file."""
    from mistok.review.files import read_overrides

    recovered = 0
    for pair, override in read_overrides(alignments).items():
        payload = {
            "op": "recovered",
            **{k: v for k, v in override.to_dict().items() if k not in ("author", "time")},
        }
        writer.add("beads", pair, pair, payload, override.author or "recovered")
        recovered += 1
    return recovered
