build-ident/sync/commands.o: sync/commands.c sync/commands.h \
 core/config.h
sync/commands.h:
core/config.h:
