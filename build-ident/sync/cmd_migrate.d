build-ident/sync/cmd_migrate.o: sync/cmd_migrate.c sync/commands.h \
 core/config.h core/db.h core/config.h core/migrate.h core/db.h
sync/commands.h:
core/config.h:
core/db.h:
core/config.h:
core/migrate.h:
core/db.h:
