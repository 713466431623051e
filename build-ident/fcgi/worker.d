build-ident/fcgi/worker.o: fcgi/worker.c fcgi/worker.h core/config.h \
 core/db.h core/config.h core/log.h fcgi/request.h
fcgi/worker.h:
core/config.h:
core/db.h:
core/config.h:
core/log.h:
fcgi/request.h:
