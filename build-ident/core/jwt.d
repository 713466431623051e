build-ident/core/jwt.o: core/jwt.c core/jwt.h
core/jwt.h:
