build-ident/core/migrate.o: core/migrate.c core/migrate.h core/db.h \
 core/config.h
core/migrate.h:
core/db.h:
core/config.h:
