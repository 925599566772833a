print("guidectl")
