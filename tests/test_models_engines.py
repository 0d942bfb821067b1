"""Both engines on the session's tiny Marian model, loaded through the public entry points.

Random weights give meaningless words, so these tests assert structure: counts, order,
batching, splitting, the recorded settings, and the errors for missing or broken models.
"""

from __future__ import annotations

import ast
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_tiny_marian import FAKE_COMMIT, TinyMarian, install_as_registry_model

from aligner.errors import ConfigError, ModelUnavailableError
from models import load_translator, resolve_model, translation_bridge
from models.segmenting import plan_segments

pytestmark = pytest.mark.usefixtures("offline_hub")

ENGINES = ("transformers", "ct2")
PARAGRAPHS = [
    "Президент Зеленський зустрівся з послом Кореї. Мер Києва подякував 5 волонтерам.",
    "Уряд України підписав угоду з партнерами з Південної Кореї.",
    "Делегація з Сеула прибула до Києва.",
    "Генеральний штаб провів переговори з командою інженерів.",
]


def model_path(tiny: TinyMarian, engine: str) -> Path:
    return tiny.transformers if engine == "transformers" else tiny.ct2


@pytest.fixture(scope="module")
def translators(tiny_marian: TinyMarian):
    return {
        engine: load_translator(
            model_path(tiny_marian, engine), engine=engine, beam_size=1, batch_size=8
        )
        for engine in ENGINES
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_paragraph_count_and_order_are_kept(translators, engine: str) -> None:
    translator = translators[engine]
    together = translator.translate(PARAGRAPHS)
    assert len(together) == len(PARAGRAPHS)
    assert all(text.strip() for text in together)
    # Paragraph i's translation is what paragraph i gives alone: nothing swapped or merged.
    alone = [translator.translate([p])[0] for p in PARAGRAPHS]
    assert together == alone
    assert len(set(together)) > 1  # the model's output depends on its input


@pytest.mark.parametrize("engine", ENGINES)
def test_batch_size_does_not_change_the_output(
    tiny_marian: TinyMarian, translators, engine: str
) -> None:
    one_by_one = load_translator(
        model_path(tiny_marian, engine), engine=engine, beam_size=1, batch_size=1
    )
    sentences = [s for p in PARAGRAPHS for s in p.split(". ")]
    assert one_by_one.translate(sentences) == translators[engine].translate(sentences)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_20000_character_paragraph_is_split_and_rejoined(
    tiny_marian: TinyMarian, engine: str
) -> None:
    # Short outputs keep this fast: random weights rarely end a sentence on their own.
    translator = load_translator(
        model_path(tiny_marian, engine), engine=engine, beam_size=1, max_output_tokens=8
    )
    impl = translator.engine("uk", "en")
    sent: list[tuple[str, str]] = []
    translate_batch = impl.translate_batch

    def recording(sentences):
        outputs = translate_batch(sentences)
        sent.extend(zip(sentences, outputs, strict=True))
        return outputs

    impl.translate_batch = recording
    sentence = "Делегація з Сеула обговорила допомогу з волонтерами з Харкова, "
    huge = (sentence * 400)[:20_000] + "."
    # transformers logs to its own logger (which does not propagate), not through stderr.
    logged: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = logged.append  # type: ignore[method-assign]
    logging.getLogger("transformers").addHandler(handler)
    try:
        result = translator.translate_with_report(["Вступ.", huge, "Кінець."])
    finally:
        logging.getLogger("transformers").removeHandler(handler)
    # Nothing logged on the way (the tokenizer would warn "sequence length is longer than
    # the specified maximum" when the paragraph is measured): issues are reported instead.
    assert [r.getMessage() for r in logged] == []
    assert impl.count_tokens(huge) > impl.max_input_tokens
    assert len(result.texts) == 3
    assert [i.paragraph for i in result.report.of_kind("split")] == [1]
    # Every model input fits; the pieces cover the huge paragraph, in order, with nothing
    # dropped; its translation is their translations joined in that order.
    limit = translator.max_sentence_tokens
    assert all(impl.count_tokens(text) <= limit for text, _ in sent)
    plan = plan_segments([huge], impl.count_tokens, limit)
    pieces = [segment.text for segment in plan.segments]
    assert len(pieces) > 1 and " ".join(pieces) == " ".join(huge.split())
    assert sorted(text for text, _ in sent) == sorted(["Вступ.", *pieces, "Кінець."])
    output_of = dict(sent)  # the same input gives the same output, whatever its batch
    assert result.texts[1] == " ".join(output_of[p] for p in pieces if output_of[p])
    assert (result.texts[0], result.texts[2]) == (output_of["Вступ."], output_of["Кінець."])


@pytest.mark.parametrize("engine", ENGINES)
def test_settings_name_the_model_engine_and_precision(translators, engine: str) -> None:
    settings = translators[engine].translate_with_report(["Мер Києва."]).report.settings
    assert settings["engine"] == engine
    assert settings["precision"] == ("float32" if engine == "transformers" else "int8")
    assert settings["revision"] == "local"
    assert settings["direction"] == "uk-en"


def test_text_already_in_the_target_language_is_kept(translators) -> None:
    result = translators["ct2"].translate_with_report(["This is English already.", "Мер."])
    assert result.texts[0] == "This is English already."
    assert [i.kind for i in result.report.issues if i.paragraph == 0] == ["already_target"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_local_model_serves_only_its_direction(
    tiny_marian: TinyMarian, translators, engine: str
) -> None:
    # The folder says it is uk→en (tokenizer_config.json, or mistok_model.json for ct2).
    with pytest.raises(ModelUnavailableError, match="a model for uk→en, and en→uk was asked"):
        translators[engine].translate(["Hello."], src="en", tgt="uk")
    with pytest.raises(ModelUnavailableError, match="a model for uk→en, and en→uk was asked"):
        load_translator(model_path(tiny_marian, engine), engine=engine, src="en", tgt="uk")


def test_a_marian_folder_that_does_not_say_its_direction_serves_the_one_it_was_loaded_for(
    tmp_path: Path, tiny_marian: TinyMarian
) -> None:
    import json

    folder = tmp_path / "silent"
    shutil.copytree(tiny_marian.transformers, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    del config["source_lang"], config["target_lang"]
    (folder / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    translator = load_translator(folder, src="en", tgt="uk", beam_size=1)
    result = translator.translate_with_report(["The mayor."], src="en", tgt="uk")
    assert len(result.texts) == 1 and result.report.settings["direction"] == "en-uk"
    with pytest.raises(ConfigError, match="loaded for en→uk"):
        translator.translate(["Мер."], src="uk", tgt="en")


def test_bridge_caches_over_a_real_engine(translators) -> None:
    bridge = translation_bridge(translators["ct2"])
    first = bridge(PARAGRAPHS[:2])
    assert bridge(PARAGRAPHS[:3])[:2] == first
    assert len(bridge) == 3


# --- resolution, offline ---------------------------------------------------------------------


def test_missing_model_fails_at_once_with_the_fix(offline_hub: Path) -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        load_translator("opus-mt")
    message = str(caught.value)
    assert "'opus-mt'" in message and "Helsinki-NLP/opus-mt-uk-en" in message
    assert str(offline_hub / "hub") in message
    assert "mistok models pull opus-mt" in message and "--model PATH" in message
    assert "HF_HUB_OFFLINE" in message


def test_without_offline_mode_loading_still_never_reaches_for_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(socket, "getaddrinfo", refuse)  # any request resolves a host first
    monkeypatch.setattr(socket.socket, "connect", refuse)
    with pytest.raises(ModelUnavailableError) as caught:
        load_translator("opus-mt")
    assert attempts == []
    assert "mistok models pull opus-mt" in str(caught.value)
    assert "offline mode" not in str(caught.value)


def test_missing_ct2_copy_names_the_convert_command() -> None:
    with pytest.raises(ModelUnavailableError, match="mistok models convert opus-mt --to ct2"):
        load_translator("opus-mt", engine="ct2")


def test_registry_name_resolves_from_the_local_caches(
    tiny_marian: TinyMarian, offline_hub: Path, tmp_path: Path
) -> None:
    install_as_registry_model(tiny_marian, offline_hub, tmp_path / "mistok-cache")
    resolved = resolve_model("opus-mt", src="en", tgt="uk")
    assert resolved.revision == FAKE_COMMIT and resolved.hub_id == "Helsinki-NLP/opus-mt-en-uk"
    for engine in ENGINES:
        translator = load_translator("opus-mt", engine=engine, beam_size=1)
        settings = translator.translate_with_report(["Мер Києва."]).report.settings
        assert settings["revision"] == FAKE_COMMIT
        assert settings["hub_id"] == "Helsinki-NLP/opus-mt-uk-en"
        # The other direction loads on first use, from its own cache entry.
        assert translator.translate(["The mayor of Kyiv."], src="en", tgt="uk")[0]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp, tiny: tmp / "nowhere", "no such model folder"),
        (lambda tmp, tiny: tmp, "not a model folder"),
        (lambda tmp, tiny: tiny.ct2, "--engine ct2"),
    ],
)
def test_bad_model_paths(tmp_path: Path, tiny_marian: TinyMarian, make, expected: str) -> None:
    with pytest.raises(ModelUnavailableError, match=expected):
        load_translator(make(tmp_path, tiny_marian), engine="transformers")


def test_ct2_engine_on_a_transformers_folder_names_the_conversion(tiny_marian) -> None:
    with pytest.raises(ModelUnavailableError, match="mistok models convert"):
        load_translator(tiny_marian.transformers, engine="ct2")


@pytest.mark.parametrize("engine", ENGINES)
def test_corrupt_model_file(tmp_path: Path, tiny_marian: TinyMarian, engine: str) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(model_path(tiny_marian, engine), broken)
    weights = broken / ("model.safetensors" if engine == "transformers" else "model.bin")
    weights.write_bytes(b"this is not a model" * 10)
    with pytest.raises(ModelUnavailableError, match=str(broken)):
        load_translator(broken, engine=engine)


def test_corrupt_config(tmp_path: Path, tiny_marian: TinyMarian) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_marian.transformers, broken)
    (broken / "config.json").write_text("{not json")
    with pytest.raises(ModelUnavailableError, match="corrupt model config"):
        load_translator(broken)


def _modules_loaded_by(code: str, heavy: tuple[str, ...], timeout: int) -> list[str]:
    """Run ``code`` in a fresh interpreter; the ``heavy`` modules it ended up importing."""
    code += f"\nprint(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def test_ct2_engine_runs_without_torch(tiny_marian: TinyMarian) -> None:
    code = (
        "from models import load_translator\n"
        f"t = load_translator({str(tiny_marian.ct2)!r}, engine='ct2', beam_size=1)\n"
        "assert t.translate(['Мер Києва.'])[0]"
    )
    assert _modules_loaded_by(code, ("torch", "transformers"), timeout=120) == []


def test_importing_the_translation_layer_loads_no_heavy_library() -> None:
    code = (
        "import models, models.convert, models.resolve\n"
        "import mistok.commands.translate, mistok.commands.fill, mistok.commands.models_cmd"
    )
    heavy = ("torch", "transformers", "ctranslate2", "sentencepiece", "huggingface_hub")
    assert _modules_loaded_by(code, heavy, timeout=60) == []
