build-ident/core/apikey.o: core/apikey.c core/apikey.h
core/apikey.h:
