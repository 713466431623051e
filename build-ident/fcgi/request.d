build-ident/fcgi/request.o: fcgi/request.c fcgi/request.h core/config.h \
 core/log.h fcgi/respond.h core/http.h core/config.h core/db.h \
 fcgi/router.h
fcgi/request.h:
core/config.h:
core/log.h:
fcgi/respond.h:
core/http.h:
core/config.h:
core/db.h:
fcgi/router.h:
