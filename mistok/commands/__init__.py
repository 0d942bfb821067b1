"""CLI commands, one module each. Add a command by importing it here and listing it."""

from mistok.commands.align import align
from mistok.commands.run import run

COMMANDS = [align, run]
