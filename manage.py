#!/usr/bin/env python
from northstar.cli import main

if __name__ == "__main__":
    main()
