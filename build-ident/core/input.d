build-ident/core/input.o: core/input.c core/input.h core/http.h \
 core/config.h core/db.h
core/input.h:
core/http.h:
core/config.h:
core/db.h:
