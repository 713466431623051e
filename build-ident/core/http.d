build-ident/core/http.o: core/http.c core/http.h core/config.h core/db.h \
 core/log.h
core/http.h:
core/config.h:
core/db.h:
core/log.h:
