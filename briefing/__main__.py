from briefing.cli import main

main()
