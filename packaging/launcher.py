"""The bundle's entry script: both executables (windowed and console) start here."""

from vbp_workshop.app import main

raise SystemExit(main())
