#pragma once
int guide_alsa_placeholder(void);
