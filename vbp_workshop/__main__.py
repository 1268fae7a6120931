from vbp_workshop.app import main

raise SystemExit(main())
