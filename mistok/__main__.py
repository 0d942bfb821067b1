from mistok.cli import main

main()
