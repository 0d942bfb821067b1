"""CLI commands, one module each. Add a command by importing it here and listing it."""

from mistok.commands.align import align
from mistok.commands.check import check
from mistok.commands.config_cmd import config
from mistok.commands.export import export
from mistok.commands.fill import fill
from mistok.commands.models_cmd import models
from mistok.commands.pair import pair
from mistok.commands.review import review
from mistok.commands.run import run
from mistok.commands.score import score
from mistok.commands.translate import translate

COMMANDS = [align, check, run, score, translate, fill, models, pair, export, review, config]
