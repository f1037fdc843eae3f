import sys

from bench.backup.run import main

sys.exit(main(sys.argv[1:]))
