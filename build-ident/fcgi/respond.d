build-ident/fcgi/respond.o: fcgi/respond.c fcgi/respond.h core/http.h \
 core/config.h core/db.h
fcgi/respond.h:
core/http.h:
core/config.h:
core/db.h:
