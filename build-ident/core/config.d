build-ident/core/config.o: core/config.c core/config.h
core/config.h:
