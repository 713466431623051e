build-ident/sync/main.o: sync/main.c sync/commands.h core/config.h \
 core/log.h
sync/commands.h:
core/config.h:
core/log.h:
