import sys

from sitrep.cli.main import main

sys.exit(main())
