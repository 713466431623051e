build-ident/fcgi/router.o: fcgi/router.c fcgi/router.h core/http.h \
 core/config.h core/db.h fcgi/access.h core/log.h
fcgi/router.h:
core/http.h:
core/config.h:
core/db.h:
fcgi/access.h:
core/log.h:
