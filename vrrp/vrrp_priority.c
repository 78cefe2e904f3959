#include <config.h>

#include "vrrp/vrrp_priority.h"

/* A file value that pushes priority this low can never win an election. */
#define VRRP_FILE_FAULT_BELOW (-253)

int32_t vrrp_priority_track_delta(int32_t weight, bool reverse, bool good, bool *fault)
{
	if (reverse)
		good = !good;
	if (weight == 0) {
		if (!good)
			*fault = true;
		return 0;
	}
	if (weight > 0)
		return good ? weight : 0;
	return good ? 0 : weight;
}

int32_t vrrp_priority_file_delta(int32_t weight, bool reverse, int64_t value, bool *fault)
{
	if (weight == 0) {
		if (value != 0)
			*fault = true;
		return 0;
	}
	/* Any |value| beyond this already saturates; clamping keeps the product
	 * far from overflow whatever the file holds. */
	if (value > 1000000)
		value = 1000000;
	if (value < -1000000)
		value = -1000000;
	int64_t d = value * (int64_t)weight;
	if (reverse)
		d = -d;
	if (d < VRRP_FILE_FAULT_BELOW) {
		*fault = true;
		return VRRP_FILE_FAULT_BELOW;
	}
	return d > 253 ? 253 : (int32_t)d;
}

uint8_t vrrp_priority_effective(uint8_t base, int64_t delta)
{
	if (base == 255)
		return 255;
	int64_t p = (int64_t)base + delta;
	if (p < 1)
		return 1;
	if (p > 254)
		return 254;
	return (uint8_t)p;
}
