# xenbus (sys/xen/xenbus, built into the kernel by kernel.mk): its hosted
# tests, which use unit.mk's rules.

XENBUS_UNIT_PROGS := xenbus_state_test

$(UNIT_DIR)/xenbus_state_test: $(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_state.o

# Name and path checks (pure).
XENBUS_UNIT_PROGS += xenbus_path_test
$(UNIT_DIR)/xenbus_path_test: $(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_path.o

XENBUS_COMMON_OBJS := $(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_state.o \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_path.o \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbus_if.o $(UNIT_OBJ)/k/tests/unit/fake_xs.o

# The buses themselves over an in-memory xenstore (fake_xs.c).
XENBUS_UNIT_PROGS += xenbus_bus_test xenbus_back_test
$(UNIT_DIR)/xenbus_bus_test: $(XENBUS_COMMON_OBJS) \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_front.o
$(UNIT_DIR)/xenbus_back_test: $(XENBUS_COMMON_OBJS) \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_back.o

ALL_TARGETS += $(addprefix $(UNIT_DIR)/,$(XENBUS_UNIT_PROGS))
TEST_PREREQS += $(addprefix $(UNIT_DIR)/,$(XENBUS_UNIT_PROGS))

-include $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.d,$(XENBUS_UNIT_PROGS))
.SECONDARY: $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.o,$(XENBUS_UNIT_PROGS)) \
	$(XENBUS_COMMON_OBJS) $(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_front.o \
	$(UNIT_OBJ)/k/sys/xen/xenbus/xenbusb_back.o
