build-ident/fcgi/access.o: fcgi/access.c fcgi/access.h fcgi/router.h \
 core/http.h core/config.h core/db.h
fcgi/access.h:
fcgi/router.h:
core/http.h:
core/config.h:
core/db.h:
