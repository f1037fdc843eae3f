import sys

from bench.public.portal import main

sys.exit(main(sys.argv[1:]))
