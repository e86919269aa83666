import sys

from bench._run import main

sys.exit(main())
