# xenbus (sys/xen/xenbus, built into the kernel by kernel.mk): its hosted
# tests, which use unit.mk's rules.

XENBUS_UNIT_PROGS := xenbus_state_test

$(UNIT_DIR)/xenbus_state_test: $(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_state.o

# The bus itself over an in-memory xenstore (fake_xs.c).
XENBUS_UNIT_PROGS += xenbus_bus_test
$(UNIT_DIR)/xenbus_bus_test: $(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_state.o \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_front.o $(UNIT_OBJ)/k/tests/unit/fake_xs.o

ALL_TARGETS += $(addprefix $(UNIT_DIR)/,$(XENBUS_UNIT_PROGS))
TEST_PREREQS += $(addprefix $(UNIT_DIR)/,$(XENBUS_UNIT_PROGS))

-include $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.d,$(XENBUS_UNIT_PROGS))
.SECONDARY: $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.o,$(XENBUS_UNIT_PROGS)) \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_state.o \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_front.o $(UNIT_OBJ)/k/tests/unit/fake_xs.o
