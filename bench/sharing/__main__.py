import sys

from bench.sharing.grantee import main

sys.exit(main(sys.argv[1:]))
