build-ident/fcgi/main.o: fcgi/main.c core/config.h core/log.h \
 fcgi/worker.h
core/config.h:
core/log.h:
fcgi/worker.h:
