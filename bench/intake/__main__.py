import sys

from bench.intake.run import main

sys.exit(main(sys.argv[1:]))
